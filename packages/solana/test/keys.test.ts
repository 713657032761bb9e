import { createPublicKey, verify } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { isCourierError } from "@courier/agent";
import { createSignerFromSecretKey, generateKeypairFile, loadKeypair, signTransaction } from "@courier/solana";
import { Keypair, SystemProgram, VersionedTransaction } from "@solana/web3.js";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "courier-keys-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("keypair files", () => {
  it("loads a Solana CLI keypair and signs like the reference implementation", async () => {
    const kp = Keypair.generate();
    const path = join(dir, "id.json");
    await writeFile(path, JSON.stringify([...kp.secretKey]), { mode: 0o600 });
    const signer = await loadKeypair(path);
    expect(signer.publicKey.toBase58()).toBe(kp.publicKey.toBase58());
    const msg = new TextEncoder().encode("courier");
    expect(isValidSignature(msg, signer.sign(msg), kp.publicKey.toBytes())).toBe(true);
  });

  it("refuses a group-readable file, naming the path and the fix", async () => {
    const path = join(dir, "loose.json");
    await writeFile(path, JSON.stringify([...Keypair.generate().secretKey]));
    await chmod(path, 0o640);
    const err = await loadKeypair(path).catch((e: unknown) => e);
    expect(isCourierError(err, "COURIER__KEY__INSECURE_PERMISSIONS")).toBe(true);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toContain(`chmod 600 ${path}`);
  });

  it("refuses a malformed file without echoing its content", async () => {
    const path = join(dir, "bad.json");
    const secretish = JSON.stringify([...Keypair.generate().secretKey].slice(0, 63));
    await writeFile(path, secretish, { mode: 0o600 });
    const err = await loadKeypair(path).catch((e: unknown) => e);
    expect(isCourierError(err, "COURIER__KEY__UNREADABLE")).toBe(true);
    expect(JSON.stringify(err) + String((err as Error).message)).not.toContain(secretish.slice(1, 30));
  });

  it("generates a 0600 keypair file that loads back", async () => {
    const path = join(dir, "gen.json");
    const made = await generateKeypairFile(path);
    const loaded = await loadKeypair(path);
    expect(loaded.publicKey.equals(made.publicKey)).toBe(true);
    expect(JSON.parse(await readFile(path, "utf8"))).toHaveLength(64);
  });

  it("never shows the secret in logs, JSON or inspect output", async () => {
    const kp = Keypair.generate();
    const path = join(dir, "id.json");
    await writeFile(path, JSON.stringify([...kp.secretKey]), { mode: 0o600 });
    const signer = await loadKeypair(path);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = pino({ level: "trace" }, sink);
    log.info({ signer, nested: { signer } }, "loaded");
    log.error({ err: new Error(`with ${String(signer)}`) }, "err");
    const text = lines.join("") + JSON.stringify(signer) + inspect(signer, { depth: 5, showHidden: true }) + String(signer);
    const secretForms = [
      Buffer.from(kp.secretKey).toString("hex"),
      Buffer.from(kp.secretKey.subarray(0, 32)).toString("base64"),
      JSON.stringify([...kp.secretKey]).slice(1, 40),
      kp.secretKey.subarray(0, 8).join(","),
    ];
    for (const s of secretForms) expect(text).not.toContain(s);
    expect(text).toContain(kp.publicKey.toBase58());
  });
});

describe("native signing", () => {
  it("produces wire bytes web3.js accepts with a valid signature", () => {
    const kp = Keypair.generate();
    {
      const signer = createSignerFromSecretKey(kp.secretKey);
      const ix = SystemProgram.transfer({ fromPubkey: kp.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 5 });
      const signed = signTransaction({ payer: signer, instructions: [ix], blockhash: Keypair.generate().publicKey.toBase58() });
      const tx = VersionedTransaction.deserialize(signed.wire);
      const sig = tx.signatures[0];
      expect(sig).toBeDefined();
      expect(isValidSignature(tx.message.serialize(), sig as Uint8Array, kp.publicKey.toBytes())).toBe(true);
      expect(Buffer.from(tx.serialize())).toEqual(Buffer.from(signed.wire));
    }
  });
});

function isValidSignature(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(publicKey)]);
  return verify(null, message, createPublicKey({ key: spki, format: "der", type: "spki" }), signature);
}
