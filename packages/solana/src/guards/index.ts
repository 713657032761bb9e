export { createSpendGuards, getUtcDay, type SpendGuards } from "./spend-guards.js";
