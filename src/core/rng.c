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

/* ---- xoshiro256++ (https://prng.di.unimi.it/xoshiro256plusplus.c) ---- */

typedef struct {
    uint64_t s[4];
} xoshiro_state;

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t xoshiro_next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    const uint64_t result = rotl(s[0] + s[3], 23) + s[0];
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* The authors' recommended seeding: SplitMix64 outputs from the seed. */
static void xoshiro_set(void *vstate, unsigned long seed)
{
    xoshiro_state *st = vstate;
    for (uint64_t i = 0; i < 4; i++)
        st->s[i] = qm_rng_mix((uint64_t)seed + i * 0x9e3779b97f4a7c15ULL);
}

static unsigned long xoshiro_get(void *vstate)
{
    return (unsigned long)(xoshiro_next(vstate) >> 32);
}

static double xoshiro_get_double(void *vstate)
{
    return (double)(xoshiro_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256pp", 0xffffffffUL, 0, sizeof(xoshiro_state),
    xoshiro_set, xoshiro_get, xoshiro_get_double
};

const gsl_rng_type *const qm_rng_xoshiro256pp = &xoshiro_type;

uint64_t qm_rng_xoshiro_next(gsl_rng *r)
{
    return xoshiro_next(r->state);
}

void qm_rng_xoshiro_set_state(gsl_rng *r, const uint64_t s[4])
{
    xoshiro_state *st = r->state;
    for (int i = 0; i < 4; i++)
        st->s[i] = s[i];
}

/* ---- streams ---- */

const char *const qm_rng_names[] = {"cmrg", "mt19937", "taus2", "xoshiro256pp", NULL};

const gsl_rng_type *qm_rng_type(int generator)
{
    switch (generator) {
    case QM_RNG_CMRG: return gsl_rng_cmrg;
    case QM_RNG_MT19937: return gsl_rng_mt19937;
    case QM_RNG_TAUS2: return gsl_rng_taus2;
    case QM_RNG_XOSHIRO: return qm_rng_xoshiro256pp;
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
    uint64_t s = qm_rng_seed(master, replicate, kind, id);
    /* xoshiro256++ takes the whole 64-bit seed (unsigned long is 64 bits
     * on the LP64 systems qmsim builds on; elsewhere it is folded too). */
    if (r->type == qm_rng_xoshiro256pp && sizeof(unsigned long) >= sizeof s)
        gsl_rng_set(r, (unsigned long)s);
    else
        gsl_rng_set(r, fold(s));
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
