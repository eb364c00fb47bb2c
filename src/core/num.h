/* num.h (internal): the small numeric helpers every layer uses, written
 * once. */
#ifndef QM_CORE_NUM_H
#define QM_CORE_NUM_H

/* x clipped to [0, 1]; a NaN passes through unchanged. */
static inline double qm_num_clamp01(double x)
{
    return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

/* The positive part of x, max(x, 0). */
static inline double qm_num_pos(double x)
{
    return x > 0.0 ? x : 0.0;
}

#endif
