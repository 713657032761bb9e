export { signTransaction, MAX_TRANSACTION_BYTES, type SignedTransaction } from "./sign-transaction.js";
