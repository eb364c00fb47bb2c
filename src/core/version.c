/* version.c: the version of the library itself (qmsim/version.h). */
#include "qmsim/version.h"

const char *qm_version(void)
{
    return QMSIM_VERSION;
}
