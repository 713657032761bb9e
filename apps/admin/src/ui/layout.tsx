/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The page shell: one heading containing "Courier", the navigation, the sign-out form and a
 * notice line. No inline script or style: the Content-Security-Policy allows only this origin.
 */
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import { UI_BASE } from "./paths.js";

export type NavKey = "overview" | "ops" | "upcoming" | "audit" | "api" | "login";

const NAV: Array<{ key: NavKey; href: string; label: string }> = [
  { key: "overview", href: UI_BASE, label: "Overview" },
  { key: "ops", href: `${UI_BASE}/ops`, label: "Ops" },
  { key: "upcoming", href: `${UI_BASE}/upcoming`, label: "Upcoming" },
  { key: "audit", href: `${UI_BASE}/audit`, label: "Audit and alerts" },
  { key: "api", href: `${UI_BASE}/api`, label: "API" },
];

export interface Notice {
  kind: "ok" | "error";
  text: string;
}

export function Layout(props: { title: string; nav: NavKey; csrf: string | null; signedIn: boolean; notice?: Notice | null; children?: Child }) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · Courier`}</title>
          <link rel="stylesheet" href={`${UI_BASE}/assets/app.css`} />
          <link rel="icon" href="data:," />
          <script src={`${UI_BASE}/assets/app.js`} defer />
        </head>
        <body>
          <header>
            <h1>{`Courier — ${props.title}`}</h1>
            {props.nav === "login" ? null : (
              <nav aria-label="Main">
                <ul>
                  {NAV.map((item) => (
                    <li>
                      <a href={item.href} aria-current={item.key === props.nav ? "page" : undefined}>
                        {item.label}
                      </a>
                    </li>
                  ))}
                </ul>
                {props.signedIn && props.csrf ? (
                  <form method="post" action={`${UI_BASE}/logout`} class="inline">
                    <input type="hidden" name="_csrf" value={props.csrf} />
                    <button type="submit">Sign out</button>
                  </form>
                ) : null}
              </nav>
            )}
          </header>
          <main>
            {props.notice ? (
              <p class={`notice ${props.notice.kind}`} role={props.notice.kind === "error" ? "alert" : "status"}>
                {props.notice.text}
              </p>
            ) : null}
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

/** A hidden form token field. */
export function CsrfField(props: { csrf: string | null }) {
  return props.csrf ? <input type="hidden" name="_csrf" value={props.csrf} /> : null;
}

/** A table's header row of plain column names. */
export function ColumnHeads(props: { cols: string[] }) {
  return (
    <thead>
      <tr>
        {props.cols.map((c) => (
          <th scope="col">{c}</th>
        ))}
      </tr>
    </thead>
  );
}
