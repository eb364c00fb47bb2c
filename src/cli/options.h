/* options.h: the one table of the qmsim command (src/cli/options.c): its
 * subcommands, and each one's options, from which both its parser
 * (qm_args_parse) and its --help (qm_args_help) come. */
#ifndef QMSIM_CLI_OPTIONS_H
#define QMSIM_CLI_OPTIONS_H

/* What an option is. */
typedef enum {
    QM_OPT_HELP = 0,   /* -h, --help */
    QM_OPT_FLAG,       /* takes no value */
    QM_OPT_VALUE,      /* takes the next argument as its value */
    QM_OPT_INT,        /* takes an integer in [lo, hi] */
    QM_OPT_DOC         /* a further help row of the option above; not parsed */
} qm_opt_kind;

#define QM_OPT_ARG (-1)   /* the id an argument (not an option) is handed with */

/* One option of a subcommand: one row of its help. */
typedef struct qm_opt {
    int id;                /* the subcommand's name for it (QM_O_*) */
    qm_opt_kind kind;
    const char *shrt;      /* "-o", or NULL */
    const char *lng;       /* "--output"; NULL ends a table */
    const char *meta;      /* the value's name in the help ("OUT.h5"); NULL for none */
    const char *help;      /* its help, lines separated by '\n'; NULL: not shown */
    long long lo, hi;      /* QM_OPT_INT: the range */
    const char *missing;   /* the message when the value is missing ("%s": the option
                              as typed); NULL: the value is handed on as NULL */
} qm_opt;

/* How a subcommand reads its arguments. */
enum {
    QM_CMD_DASH_ARG = 1,   /* "-" alone is an argument, not an unknown option */
    QM_CMD_EQUALS = 2      /* --option=value is accepted */
};

/* One subcommand of qmsim. */
typedef struct qm_cmd {
    const char *name;      /* "run" */
    const char *synopsis;  /* its row in `qmsim --help`: "run [SCENARIO.cfg]" */
    const char *summary;   /* and what it does */
    int (*main)(int argc, char **argv);  /* argv[0] is the subcommand's name */
    const char *help;      /* the help above the option rows */
    int width;             /* of the option rows' left column */
    const qm_opt *opts;
    const char *tail;      /* the help below them; NULL for none */
    const char *brief;     /* the usage line some errors are followed by; NULL for none */
    const char *unknown;   /* the message for an unknown option ("%s": it) */
    unsigned flags;        /* QM_CMD_* */
} qm_cmd;

/* Every subcommand, in the order of `qmsim --help`; NULL ends it. */
extern const qm_cmd *const qm_options_commands[];

/* The qmsim command itself: its help (a format of the version) and its
 * options, for `qmsim --help`. */
extern const qm_cmd qm_options_main;

/* Each subcommand's entry. */
extern const qm_cmd qm_options_run, qm_options_validate, qm_options_summary, qm_options_params,
    qm_options_sweep, qm_options_merge, qm_options_sensitivity, qm_options_compare,
    qm_options_report, qm_options_explore, qm_options_calibrate;

/* The option ids of each subcommand. */
enum { QM_O_HELP = 0 };
enum {
    QM_O_RUN_OUTPUT = 1, QM_O_RUN_SEED, QM_O_RUN_REPLICATE, QM_O_RUN_MONTHS, QM_O_RUN_THREADS,
    QM_O_RUN_SET, QM_O_RUN_SCALE, QM_O_RUN_FORCE, QM_O_RUN_MAX_MEMORY, QM_O_RUN_CHECK,
    QM_O_RUN_NARRATE, QM_O_RUN_NARRATE_FILTER, QM_O_RUN_QUIET
};
enum { QM_O_VALIDATE_RESOLVED = 1 };
enum { QM_O_SUMMARY_FORMAT = 1, QM_O_SUMMARY_ALL };
enum { QM_O_PARAMS_MARKDOWN = 1 };
enum {
    QM_O_SWEEP_OUTPUT = 1, QM_O_SWEEP_THREADS, QM_O_SWEEP_RESUME, QM_O_SWEEP_SHARD,
    QM_O_SWEEP_FORCE, QM_O_SWEEP_DRY_RUN, QM_O_SWEEP_QUIET
};
enum { QM_O_MERGE_FORCE = 1 };
enum {
    QM_O_CAL_OUTPUT = 1, QM_O_CAL_THREADS, QM_O_CAL_RESUME, QM_O_CAL_FORCE, QM_O_CAL_DRY_RUN,
    QM_O_CAL_EXPORT, QM_O_CAL_PARTICLE, QM_O_CAL_QUIET
};
enum { QM_O_SENS_FORMAT = 1, QM_O_SENS_BOOTSTRAP, QM_O_SENS_LEVEL };
enum {
    QM_O_CMP_REPLICATIONS = 1, QM_O_CMP_SEED, QM_O_CMP_MONTHS, QM_O_CMP_SET, QM_O_CMP_OUTCOMES,
    QM_O_CMP_FROM_FILES, QM_O_CMP_FROM_SWEEP, QM_O_CMP_POINTS, QM_O_CMP_FORMAT, QM_O_CMP_LEVEL,
    QM_O_CMP_OUTPUT, QM_O_CMP_SERIES, QM_O_CMP_FORCE, QM_O_CMP_THREADS, QM_O_CMP_QUIET,
    QM_O_CMP_POSTERIOR
};
enum {
    QM_O_EXPLORE_PORT = 1, QM_O_EXPLORE_BIND, QM_O_EXPLORE_MAX_SESSIONS, QM_O_EXPLORE_MAX_MONTHS,
    QM_O_EXPLORE_IDLE, QM_O_EXPLORE_THREADS
};
enum {
    QM_O_REPORT_OUTPUT = 1, QM_O_REPORT_SERIES, QM_O_REPORT_TITLE, QM_O_REPORT_MAX_EVENTS,
    QM_O_REPORT_FORCE, QM_O_REPORT_YEARLY
};

#endif
