export { MAX_TRANSACTION_BYTES, type SignedTransaction, signTransaction } from "./sign-transaction.js";
