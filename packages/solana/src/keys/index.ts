export { generateKeypairFile, loadKeypair } from "./load-keypair.js";
export { createSignerFromSecretKey, type Signer } from "./signer.js";
