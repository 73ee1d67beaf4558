// The dashboard's one page (HTML, CSS and script), embedded in the binary: no CDN, no file read
// at run time. It takes the token from its own URL, opens /events?token=... (server-sent
// events) and redraws on every `snapshot` event (document: dashboard_core.h
// BuildDashboardSnapshot). Elements the browser test looks for: #mtm-value (data-mtm = the
// number), svg#mtm-chart, table#positions-table, #processes-table, #events-list,
// #squareoffs; window.zmUpdates counts the snapshots rendered.
#pragma once

#include <string_view>

namespace zm::runner {

std::string_view DashboardPageHtml();

}  // namespace zm::runner
