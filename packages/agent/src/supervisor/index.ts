export {
  createSupervisor,
  DEFAULT_SUPERVISOR,
  type SupervisedLoop,
  type Supervisor,
  type SupervisorEvents,
  type SupervisorOptions,
  type SupervisorState,
} from "./create-supervisor.js";
export { createCrankLoop } from "./crank-loop.js";
