/** Prisma's unique-constraint error (P2002): how "someone else did this first" shows up. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}
