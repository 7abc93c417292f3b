/**
 * How much longer than its stated bound a wait in a test may take before it gives up. The bounds
 * written in the tests are what a quiet machine needs; a machine whose cores another process keeps
 * busy can take many times that, and a wait that gives up early turns load into a red test. A wait
 * ends as soon as its event happens, so patience costs nothing when things work; it only decides
 * how long a broken test takes to say so. `SPECGATE_TEST_PATIENCE` overrides the factor.
 */
export const PATIENCE = Number(process.env.SPECGATE_TEST_PATIENCE ?? 10);

/** `ms` stretched by {@link PATIENCE}. */
export const patient = (ms: number): number => ms * PATIENCE;
