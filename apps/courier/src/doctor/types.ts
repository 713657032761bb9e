export type DoctorStatus = "ok" | "warn" | "fail";

/** One line of `courier doctor`: what was checked, how it went, and what to do about it. */
export interface DoctorCheck {
  check: string;
  status: DoctorStatus;
  detail: string;
}
