/**
 * Dashboard sessions. With a token configured, signing in with it opens a session; without
 * one (loopback only) every browser gets a session on its first visit. Either way the session
 * carries the per-session form token that every state-changing form must echo (CSRF), next to
 * the Origin check. Sessions live in this process's memory: a restart signs everyone out.
 */
import { randomBytes } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { isTokenMatch } from "../http/bearer-auth.js";

export const SESSION_COOKIE = "courier_session";
export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** Bound on live sessions: the oldest are dropped first (signing in again is cheap). */
const MAX_SESSIONS = 1000;

export interface Session {
  id: string;
  csrf: string;
  expiresAt: number;
  /** True when opened with the admin token (false: the open, token-less dashboard). */
  signedIn: boolean;
}

export interface SessionStore {
  /** The live session named by the request's cookie, or null. */
  get(c: Context): Session | null;
  open(c: Context, signedIn: boolean): Session;
  close(c: Context): void;
  isFormTokenValid(session: Session, presented: unknown): boolean;
}

export function createSessionStore(opts: { now: () => number; ttlMs: number; secure: (c: Context) => boolean }): SessionStore {
  const sessions = new Map<string, Session>();

  function get(c: Context): Session | null {
    const id = getCookie(c, SESSION_COOKIE);
    if (!id) return null;
    const session = sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= opts.now()) {
      sessions.delete(id);
      return null;
    }
    return session;
  }

  function open(c: Context, signedIn: boolean): Session {
    const old = getCookie(c, SESSION_COOKIE);
    if (old) sessions.delete(old); // a new session id at sign-in: no fixation
    while (sessions.size >= MAX_SESSIONS) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) break;
      sessions.delete(oldest);
    }
    const session: Session = {
      id: randomBytes(32).toString("base64url"),
      csrf: randomBytes(24).toString("base64url"),
      expiresAt: opts.now() + opts.ttlMs,
      signedIn,
    };
    sessions.set(session.id, session);
    setCookie(c, SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/admin/ui",
      maxAge: Math.floor(opts.ttlMs / 1000),
      secure: opts.secure(c),
    });
    return session;
  }

  function close(c: Context): void {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) sessions.delete(id);
    setCookie(c, SESSION_COOKIE, "", { httpOnly: true, sameSite: "Strict", path: "/admin/ui", maxAge: 0, secure: opts.secure(c) });
  }

  function isFormTokenValid(session: Session, presented: unknown): boolean {
    return typeof presented === "string" && presented.length > 0 && presented.length <= 256 && isTokenMatch(presented, session.csrf);
  }

  return { get, open, close, isFormTokenValid };
}
