/* qmsim.h: the whole public interface of libqmsim. */
#ifndef QMSIM_H
#define QMSIM_H
#include "qmsim/version.h"
#include "qmsim/params.h"
#include "qmsim/rng.h"
#include "qmsim/scenario.h"
#include "qmsim/sim.h"
#include "qmsim/observe.h"
#include "qmsim/output.h"
#endif
