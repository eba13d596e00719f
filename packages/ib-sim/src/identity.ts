/**
 * The simulator's identity. Code that talks to IB can tell it is connected to the simulator (and
 * label the data as simulated) because the managed accounts contain an id starting with `KTRDRSIM`.
 */

/** The managed account the simulator announces; starts with {@link IB_SIM_ACCOUNT_PREFIX}. */
export const IB_SIM_ACCOUNT_ID = 'KTRDRSIM01';

/** Prefix identifying simulator accounts. */
export const IB_SIM_ACCOUNT_PREFIX = 'KTRDRSIM';
