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
 * stream of a run uses the same one.  The default, L'Ecuyer's combined
 * multiple recursive generator, keeps 48 bytes of state per stream, so the
 * thousands of per-entity streams of a national run stay in cache (an
 * mt19937 stream keeps 5 KB).  Appended, never inserted. */
typedef enum {
    QM_RNG_CMRG,
    QM_RNG_MT19937,
    QM_RNG_TAUS2,
    QM_RNG_N
} qm_rng_kind;

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
