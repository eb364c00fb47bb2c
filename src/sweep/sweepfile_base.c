/* sweepfile_base.c: finding the base scenario of a sweep (a path, a bare
 * name searched beside the sweep file, in QMSIM_SCENARIO_PATH and among
 * the bundled scenarios, or builtin:NAME) and reading its text. */
#include "qmsim/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/file.h"
#include "sweep/sweepfile_read.h"

#ifndef QMSIM_SCENARIO_DIR
#define QMSIM_SCENARIO_DIR ""
#endif
#ifndef QMSIM_INSTALL_SCENARIO_DIR
#define QMSIM_INSTALL_SCENARIO_DIR ""
#endif
/* Reads a whole text file (qm_file_read, at most MAX_TEXT bytes); NULL
 * with errno set on failure, EINVAL for a NUL byte inside. */
char *qm_swf_read_text(const char *path)
{
    size_t len = 0;
    char *buf = qm_file_read(path, (size_t)MAX_TEXT, &len);
    if (buf && strlen(buf) != len) {
        free(buf);
        errno = EINVAL;
        return NULL;
    }
    return buf;
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Tries dir/name: on success sets *text and *source and returns 1. */
static int try_file(const char *dir, const char *name, char **text, char **source)
{
    if (!dir || !*dir)
        return 0;
    char *p = join_path(dir, name);
    char *t = p ? qm_swf_read_text(p) : NULL;
    if (!t) {
        free(p);
        return 0;
    }
    *text = t;
    *source = p;
    return 1;
}

/* Resolves the base scenario (see qm_sweep_load). */
void qm_swf_resolve_base(rd *r, const char *base, const char *dir, int line)
{
    qm_sweep *sw = r->sw;
    if (!strncmp(base, "builtin:", 8)) {
        if (!strcmp(base + 8, "ishigami"))
            sw->model = QM_MODEL_ISHIGAMI;
        else if (!strcmp(base + 8, "baseline"))
            sw->base_text = strdup(qm_builtin_baseline);
        else {
            qm_errors_add(r->err, "%s:%d: unknown built-in model '%s' (builtin:baseline or "
                          "builtin:ishigami)", r->file, line, base);
            return;
        }
        sw->base_source = strdup(base);
        return;
    }
    size_t n = strlen(base);
    int is_path = strchr(base, '/') || (n > 4 && !strcmp(base + n - 4, ".cfg"));
    if (is_path) {
        char *p = base[0] == '/' || !dir ? strdup(base) : join_path(dir, base);
        char *t = p ? qm_swf_read_text(p) : NULL;
        if (!t) {
            qm_errors_add(r->err, "%s:%d: base scenario '%s' cannot be read: %s", r->file, line,
                          p ? p : base, strerror(errno));
            free(p);
            return;
        }
        sw->base_text = t;
        sw->base_source = p;
        return;
    }
    char name[300];
    snprintf(name, sizeof name, "%s.cfg", base);
    if (try_file(dir ? dir : ".", name, &sw->base_text, &sw->base_source))
        return;
    const char *env = getenv("QMSIM_SCENARIO_PATH");
    if (env && *env) {
        char *copy = strdup(env), *save = NULL;
        for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save))
            if (try_file(d, name, &sw->base_text, &sw->base_source)) {
                free(copy);
                return;
            }
        free(copy);
    }
    if (try_file(QMSIM_SCENARIO_DIR, name, &sw->base_text, &sw->base_source)
        || try_file(QMSIM_INSTALL_SCENARIO_DIR, name, &sw->base_text, &sw->base_source))
        return;
    if (!strcmp(base, "baseline")) {
        sw->base_text = strdup(qm_builtin_baseline);
        sw->base_source = strdup("builtin:baseline");
        return;
    }
    qm_errors_add(r->err, "%s:%d: no scenario named '%s' (looked for %s beside the sweep file "
                  "and among the bundled scenarios; give a path ending in .cfg, or "
                  "builtin:baseline or builtin:ishigami)", r->file, line, base, name);
}
