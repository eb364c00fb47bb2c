/* rng.h: independent random streams, one GSL generator per entity.
 *
 * Every stream is seeded from (master seed, replicate, stream kind, entity
 * id) through a strong 64-bit mix (SplitMix64 finaliser applied to each
 * component in turn), so a stream never depends on the thread that uses it
 * or on the order in which streams are created. */
#ifndef QMSIM_RNG_H
#define QMSIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* Stream kinds: a new kind is appended, never inserted, so that existing
 * scenarios keep their draws. */
typedef enum {
    QM_STREAM_INIT_COMMISSIONER = 1,
    QM_STREAM_INIT_PROVIDER,
    QM_STREAM_INIT_CONTRACT,
    QM_STREAM_COMMISSIONER,
    QM_STREAM_PROVIDER,
    QM_STREAM_MARKET,
    QM_STREAM_AGENCY,
    QM_STREAM_EVENTS,
    QM_STREAM_INIT_AGENCY
} qm_stream_kind;

/* The GSL generators a scenario can choose (its `generator` key).  Every
 * stream of a run uses the same one.  The default, xoshiro256++ (Blackman
 * and Vigna 2021; registered as a gsl_rng_type here), keeps 32 bytes of
 * state per stream, so the thousands of per-entity streams of a national
 * run stay in cache, and costs about a quarter of cmrg's time a draw.
 * Appended, never inserted. */
typedef enum {
    QM_RNG_CMRG,
    QM_RNG_MT19937,
    QM_RNG_TAUS2,
    QM_RNG_XOSHIRO,
    QM_RNG_N
} qm_rng_kind;

/* xoshiro256++ as a GSL generator: gsl_rng_get gives the upper 32 bits of
 * a 64-bit output, gsl_rng_uniform its upper 53 bits / 2^53.  gsl_rng_set
 * (r, s) fills the 256-bit state with four SplitMix64 outputs from s (all
 * 64 bits of s are used).  Its period is 2^256 - 1. */
extern const gsl_rng_type *const qm_rng_xoshiro256pp;

/* The raw 64-bit output of a qm_rng_xoshiro256pp generator (for tests
 * against the published reference outputs). */
uint64_t qm_rng_xoshiro_next(gsl_rng *r);

/* Sets a qm_rng_xoshiro256pp generator's state word by word. */
void qm_rng_xoshiro_set_state(gsl_rng *r, const uint64_t s[4]);

/* Names of the generators, indexed by qm_rng_kind, NULL-terminated. */
extern const char *const qm_rng_names[];

/* The GSL type of a generator; NULL when the kind is out of range. */
const gsl_rng_type *qm_rng_type(int generator);

/* The 64-bit seed of one stream.  Pure function; cannot fail. */
uint64_t qm_rng_seed(uint64_t master, uint64_t replicate, uint64_t kind, uint64_t id);

/* SplitMix64 finaliser: a bijective 64-bit mix.  Cannot fail. */
uint64_t qm_rng_mix(uint64_t x);

/* Allocates the generator of one stream; NULL when out of memory or the
 * generator kind is out of range. */
gsl_rng *qm_rng_alloc(int generator, uint64_t master, uint64_t replicate, uint64_t kind,
                      uint64_t id);

/* Reseeds an existing generator for a stream.  Cannot fail. */
void qm_rng_reseed(gsl_rng *r, uint64_t master, uint64_t replicate, uint64_t kind, uint64_t id);

#endif
