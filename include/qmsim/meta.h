/* meta.h: what a number of qmsim's output means to a reader
 * (src/observe/meta.c): for every monthly series and every key outcome of
 * a comparison, a label in plain English, the unit, its kind (a count, a
 * share, money, an index in [0, 1], months, a rate), whether it is a stock
 * (a level at a time) or a flow (an amount in a month), how it aggregates
 * over time, and the range it cannot leave.  The summary, the comparison,
 * the report and docs/output.md read this one table; JSON and CSV keep raw
 * numbers and name the unit from it. */
#ifndef QMSIM_META_H
#define QMSIM_META_H

/* How a number prints: the kind of quantity it is. */
typedef enum {
    QM_KIND_COUNT = 0,  /* things: contracts, tenders, providers; >= 0 */
    QM_KIND_SHARE,      /* a fraction of a whole, printed as a percentage */
    QM_KIND_MONEY,      /* pounds sterling */
    QM_KIND_INDEX,      /* a score in [0, 1] (trust, knowledge, quality, HHI) */
    QM_KIND_MONTHS,     /* a duration in months */
    QM_KIND_AMOUNT      /* anything else with a unit (activity, FTE) */
} qm_meta_kind;

/* Over time: a stock is a level at the end of a month (contracts in
 * force), a flow an amount during a month (tenders started, spend). */
typedef enum { QM_TIME_FLOW = 0, QM_TIME_STOCK } qm_meta_time;

/* How months aggregate into a year or a run: flows add up, stocks and
 * indices average. */
typedef enum { QM_AGG_SUM = 0, QM_AGG_MEAN } qm_meta_agg;

typedef struct qm_meta {
    const char *name;    /* the series or outcome, as in the files */
    const char *label;   /* plain English, capitalised, no unit */
    const char *unit;    /* as stored: "GBP", "1", "contracts", "1/year" ... */
    qm_meta_kind kind;
    qm_meta_time time;
    qm_meta_agg agg;
    double lo, hi;       /* the range the quantity cannot leave (-/+HUGE_VAL: none) */
} qm_meta;

/* The metadata of name (a series of the model or a key outcome), or NULL
 * when the table does not know it.  Cannot fail. */
const qm_meta *qm_meta_find(const char *name);

/* The metadata of a key outcome of a comparison called name (where a
 * series has the same name, "agency_fees", the outcome's, a year's
 * fees), else of the series name, else NULL. */
const qm_meta *qm_meta_outcome(const char *name);

/* The label of name in plain English, or name itself when the table does
 * not know it.  Cannot fail. */
const char *qm_meta_label(const char *name);

/* Like qm_meta_find, but never NULL: for a name the table does not know,
 * a plain entry (empty label and unit, an amount without bounds). */
const qm_meta *qm_meta_get(const char *name);

/* The kind's name as JSON and CSV carry it: "count", "share", "money",
 * "index", "months", "amount". */
const char *qm_meta_kind_name(qm_meta_kind kind);

/* The range of REDUCE over the months of a series with metadata m:
 * a sum keeps only the lower bound 0 (when m's is 0), the others keep
 * both.  reduce is the name ("mean", "sum", "final", "min", "max"). */
void qm_meta_reduce_range(const qm_meta *m, const char *reduce, double *lo, double *hi);

#endif
