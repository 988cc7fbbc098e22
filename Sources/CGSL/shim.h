/* Takt's window on the GNU Scientific Library.
 *
 * Swift 6 strict concurrency refuses to read GSL's mutable generator-type
 * globals (gsl_rng_mt19937 and friends), so each is wrapped in an inline
 * accessor. The per-draw uniform is wrapped too, so Swift can inline the
 * indirect call exactly as GSL's own HAVE_INLINE build would.
 */
#ifndef TAKT_CGSL_SHIM_H
#define TAKT_CGSL_SHIM_H

#include <gsl/gsl_version.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_erf.h>

static inline const gsl_rng_type *takt_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *takt_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *takt_rng_gfsr4(void) { return gsl_rng_gfsr4; }
static inline const gsl_rng_type *takt_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }

/* gsl_rng_uniform, inlined: a double in [0, 1). */
static inline double takt_rng_uniform(const gsl_rng *r) {
    return (r->type->get_double)(r->state);
}

/* gsl_rng_uniform_pos, inlined: a double in (0, 1). */
static inline double takt_rng_uniform_pos(const gsl_rng *r) {
    double x;
    do { x = (r->type->get_double)(r->state); } while (x == 0);
    return x;
}

/* GSL's default handler aborts the process. Takt installs this one instead: it notes the
 * error (per thread) and returns, so GSL hands back its error value (a NaN, an infinity, a
 * NULL table) and Swift turns it into an error with context. Only TaktKernel calls these
 * accessors, so one copy of the thread-local record exists in the process. */
static _Thread_local int takt_gsl_errno_value = 0;
static _Thread_local const char *takt_gsl_reason_value = 0;

static void takt_gsl_record_error(const char *reason, const char *file, int line, int gsl_errno) {
    (void)file;
    (void)line;
    takt_gsl_errno_value = gsl_errno;
    takt_gsl_reason_value = reason;
}

static inline void takt_gsl_install_handler(void) { gsl_set_error_handler(&takt_gsl_record_error); }

/* The GSL error number noted on this thread since the last call (0: none), clearing it. */
static inline int takt_gsl_take_errno(void) {
    int value = takt_gsl_errno_value;
    takt_gsl_errno_value = 0;
    return value;
}

/* GSL's text for the error last noted on this thread (static storage), or NULL. */
static inline const char *takt_gsl_last_reason(void) { return takt_gsl_reason_value; }

static inline const char *takt_gsl_version(void) { return GSL_VERSION; }

#endif
