export { loadKeypair, generateKeypairFile } from "./load-keypair.js";
export { createSignerFromSecretKey, type Signer } from "./signer.js";
