// Implemented with the subscriber (see trading_db.h).
#include "common/trading_db.h"
