/**
 * Exit codes of the `tallennin` command, the only place that decides to exit (the service and
 * the library code throw AppError). systemd's Restart= policy relies on these meanings.
 */
export const EXIT_OK = 0;
/** A check failed: `recordings verify` found a recording that does not verify. */
export const EXIT_CHECK_FAILED = 1;
/** Bad arguments or an invalid/unreadable configuration: fix the command or the file. */
export const EXIT_USAGE = 2;
/** The master key is missing or invalid: nothing can be read or written without it. */
export const EXIT_NO_KEY = 3;
/** Any other failure (I/O, disk full, corrupt storage): reported on stderr with its code. */
export const EXIT_FAILURE = 4;
