/* rng.c: per-entity random streams seeded through a 64-bit mix. */
#include "qmsim/rng.h"

uint64_t qm_rng_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t qm_rng_seed(uint64_t master, uint64_t replicate, uint64_t kind, uint64_t id)
{
    uint64_t h = qm_rng_mix(master);
    h = qm_rng_mix(h ^ replicate);
    h = qm_rng_mix(h ^ kind);
    return qm_rng_mix(h ^ id);
}

const char *const qm_rng_names[] = {"cmrg", "mt19937", "taus2", NULL};

const gsl_rng_type *qm_rng_type(int generator)
{
    switch (generator) {
    case QM_RNG_CMRG: return gsl_rng_cmrg;
    case QM_RNG_MT19937: return gsl_rng_mt19937;
    case QM_RNG_TAUS2: return gsl_rng_taus2;
    default: return NULL;
    }
}

/* GSL's generators take 32 bits of seed (each seeds its state from an
 * LCG over the low 32 bits), so the mixed 64 bits are folded;
 * docs/ODD.md gives the resulting collision odds. Seed 0 is mapped by GSL
 * to its default, so it is avoided. */
static unsigned long fold(uint64_t s)
{
    unsigned long v = (unsigned long)((s ^ (s >> 32)) & 0xffffffffULL);
    return v ? v : 1UL;
}

void qm_rng_reseed(gsl_rng *r, uint64_t master, uint64_t replicate, uint64_t kind, uint64_t id)
{
    gsl_rng_set(r, fold(qm_rng_seed(master, replicate, kind, id)));
}

gsl_rng *qm_rng_alloc(int generator, uint64_t master, uint64_t replicate, uint64_t kind,
                      uint64_t id)
{
    const gsl_rng_type *T = qm_rng_type(generator);
    gsl_rng *r = T ? gsl_rng_alloc(T) : NULL;
    if (r)
        qm_rng_reseed(r, master, replicate, kind, id);
    return r;
}
