// KiteApi: the Kite Connect REST calls the suite makes, as an interface so that the I/O code
// (the square-off driver, the subscriber, the monitor) can be tested against fakes. The real
// one, RestKiteApi, lives in zm_net (common/net/kite_rest_api.h): zm_kite depends on nothing
// network-side, net depends on kite (one way). Header-only here; only Boost's awaitable type.
// Threading: call from the process's io_context thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "common/kite/models.h"

namespace zm::kite {

template <typename T>
using Async = boost::asio::awaitable<Result<T>>;

class KiteApi {
 public:
  virtual ~KiteApi() = default;
  virtual Async<Profile> GetProfile() = 0;                // GET /user/profile
  virtual Async<Positions> GetPositions() = 0;            // GET /portfolio/positions
  virtual Async<std::vector<Holding>> GetHoldings() = 0;  // GET /portfolio/holdings
  virtual Async<std::vector<Order>> GetOrders() = 0;      // GET /orders
  virtual Async<std::vector<Order>> GetOrderHistory(std::string order_id) = 0;  // GET /orders/{id}
  virtual Async<std::vector<Trade>> GetTrades() = 0;                            // GET /trades
  // GET /quote/ltp?i=EX:SYM&i=... (at most 1000 keys; the caller keeps to 1 request/s).
  virtual Async<LtpQuotes> GetLtp(std::vector<std::string> exchange_symbols) = 0;
  // GET /quote?i=EX:SYM&i=... (full quote with 5-level depth; shares the quote rate limit).
  virtual Async<FullQuotes> GetQuote(std::vector<std::string> exchange_symbols) = 0;
  virtual Async<std::vector<Gtt>> GetGtts() = 0;                 // GET /gtt/triggers
  virtual Async<long long> DeleteGtt(long long trigger_id) = 0;  // DELETE /gtt/triggers/{id}
  // POST /orders/{variety}: returns order_id. Success means accepted, not executed.
  virtual Async<std::string> PlaceOrder(OrderRequest request) = 0;
  // PUT /orders/{variety}/{id}: returns order_id.
  virtual Async<std::string> ModifyOrder(std::string variety, std::string order_id,
                                         OrderModify modify) = 0;
  // DELETE /orders/{variety}/{id}: returns order_id.
  virtual Async<std::string> CancelOrder(std::string variety, std::string order_id) = 0;
  virtual Async<std::string> GetInstrumentsCsv() = 0;  // GET /instruments (CSV text)
  // POST /session/token with api_key, request_token, checksum (no Authorization header).
  virtual Async<SessionToken> CreateSession(std::string request_token, std::string checksum) = 0;
};

}  // namespace zm::kite
