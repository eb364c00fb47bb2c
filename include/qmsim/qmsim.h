/* qmsim.h: the whole public interface of libqmsim. */
#ifndef QMSIM_H
#define QMSIM_H
#include "qmsim/version.h"
#include "qmsim/params.h"
#include "qmsim/rng.h"
#include "qmsim/draw.h"
#include "qmsim/file.h"
#include "qmsim/scenario.h"
#include "qmsim/scale.h"
/* submodels (MODEL.md 4): pure functions */
#include "qmsim/trust.h"
#include "qmsim/monitor.h"
#include "qmsim/decide.h"
#include "qmsim/tender.h"
#include "qmsim/market.h"
#include "qmsim/knowledge.h"
#include "qmsim/conduit.h"
#include "qmsim/develop.h"
#include "qmsim/delivery.h"
/* the simulation, what is observed of it, and where it goes */
#include "qmsim/sim.h"
#include "qmsim/check.h"
#include "qmsim/observe.h"
#include "qmsim/output.h"
#include "qmsim/sweep.h"
#endif
