/* report.h: what the files of `qmsim report` share (report.c reads the
 * options and writes the page, report_read.c reads a run or comparison
 * file, report_chart.c draws the charts, report_html.c writes the HTML).
 * Not a public header. */
#ifndef QMSIM_CLI_REPORT_H
#define QMSIM_CLI_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "qmsim/narrate.h"
#include "qmsim/outfile.h"
#include "qmsim/comparison.h"
#include "qmsim/scenario.h"

#define QM_REPORT_MAX_CHARTS 64

/* The options of `qmsim report`. */
typedef struct rep_opts {
    const char *in, *out, *series, *title;
    int force, max_events;
    int yearly;               /* --yearly: charts by year of the run */
} rep_opts;

/* Everything a report shows.  A comparison as its file holds it; a run
 * in the same shape: one scenario of one run, its key outcomes as means,
 * its series as means without bands, and its events. */
typedef struct rep_data {
    const char *path;
    int is_cmp;
    int yearly;               /* the charts are by year (--yearly and a year or more) */
    int yearly_asked;         /* --yearly was given */
    qm_cmpfile cf;            /* scenarios, outcomes, series, events per run */
    char *seed_text;
    qm_scenario *sc;          /* each scenario loaded from its resolved text... */
    int *loaded;              /* ...when loaded[s] is 1 */
    /* a run: its events and the names they need */
    qm_event *ev;
    int n_ev;
    int has_events;           /* the file has an event table (output.events) */
    char **names[QM_STORY_KINDS];
    int n_names[QM_STORY_KINDS];
} rep_data;

/* Reads the run or comparison file o->in into r (report_read.c): the file
 * is told by its kind.  Returns 0, or the exit status after a message. */
int qm_report_read(const rep_opts *o, rep_data *r);

/* Frees what r owns.  Safe on a zeroed report. */
void qm_report_free(rep_data *r);

/* Draws every chart of r with one gnuplot run (report_chart.c); svg[i]
 * gets chart i's SVG text (malloc'd), svg_len[i] its length.  Returns 0,
 * or 1 after a message. */
int qm_report_charts(const rep_data *r, char **svg, size_t *svg_len);

/* How chart i of cf is drawn: its title (the series' label), its y-axis
 * in words and units ("£m a month", "contracts", "index, 0 to 1"), the
 * factor its values are divided by (1e6 for £m; 0.01 for a percentage),
 * and its y-range in those units (lo 0 for quantities that cannot be
 * negative, hi 1 for an index; NaN where gnuplot chooses).  yearly: the
 * chart is by year (flows as totals, stocks as means).  Cannot fail. */
typedef struct rep_axis {
    char title[160], ylabel[96];
    double scale, lo, hi;
} rep_axis;
void qm_report_axis(const qm_cmpfile *cf, int i, int yearly, rep_axis *ax);

/* Writes the page (report_html.c).  Returns 0, or -1 when f failed. */
int qm_report_html(FILE *f, const rep_data *r, const rep_opts *o, char **svg, const size_t *len);

/* The helpers the calibration page shares with the run and comparison
 * pages: HTML escaping and base64 (report_html.c), the page's style sheet,
 * and one gnuplot run on a script, its output in log, 0 or 1 after a
 * message (report_chart.c). */
void qm_report_esc(FILE *f, const char *s);
void qm_report_base64(FILE *f, const unsigned char *p, size_t n);
const char *qm_report_css(void);
int qm_report_gnuplot(const char *script, const char *log);

/* Writes a page into of's temporary file with emit(FILE, ctx) and moves
 * it into place (qmsim/outfile.h); of is consumed.  The exit status after
 * any message. */
int qm_report_commit(qm_outfile *of, int (*emit)(FILE *, const void *), const void *ctx);

/* The page of a calibration result (report_cal.c): posterior marginals
 * and pairs, tolerance and acceptance by generation, each target against
 * the posterior predictive distribution.  Written through of, which is
 * consumed.  Returns the exit status after any message. */
int qm_report_cal(const rep_opts *o, qm_outfile *of);

#endif
