// KiteApi: the Kite Connect REST calls the suite makes, as an interface so that logic (the
// square-off engine, the subscriber) can be tested against fakes. RestKiteApi implements it
// over net::HttpClient with the `X-Kite-Version: 3` and `Authorization: token KEY:TOKEN`
// headers, form-encoded bodies, and ParseEnvelope() for every answer.
// Threading: call from the process's io_context thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

#include "common/kite/models.h"
#include "common/net/http_client.h"
#include "common/secret.h"

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

class RestKiteApi final : public KiteApi {
 public:
  RestKiteApi(std::unique_ptr<net::HttpClient> http, std::string api_key, Secret access_token);
  // Used after the token file changes (daily login) without a restart.
  void SetAccessToken(Secret access_token) { access_token_ = std::move(access_token); }

  Async<Profile> GetProfile() override;
  Async<Positions> GetPositions() override;
  Async<std::vector<Holding>> GetHoldings() override;
  Async<std::vector<Order>> GetOrders() override;
  Async<std::vector<Order>> GetOrderHistory(std::string order_id) override;
  Async<std::vector<Trade>> GetTrades() override;
  Async<LtpQuotes> GetLtp(std::vector<std::string> exchange_symbols) override;
  Async<FullQuotes> GetQuote(std::vector<std::string> exchange_symbols) override;
  Async<std::vector<Gtt>> GetGtts() override;
  Async<long long> DeleteGtt(long long trigger_id) override;
  Async<std::string> PlaceOrder(OrderRequest request) override;
  Async<std::string> ModifyOrder(std::string variety, std::string order_id,
                                 OrderModify modify) override;
  Async<std::string> CancelOrder(std::string variety, std::string order_id) override;
  Async<std::string> GetInstrumentsCsv() override;
  Async<SessionToken> CreateSession(std::string request_token, std::string checksum) override;

 private:
  Async<nlohmann::json> Call(std::string method, std::string target, std::string body,
                             bool authorized = true);
  std::unique_ptr<net::HttpClient> http_;
  std::string api_key_;
  Secret access_token_;
};

}  // namespace zm::kite
