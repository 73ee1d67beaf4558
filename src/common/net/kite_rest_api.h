// RestKiteApi: kite::KiteApi over net::HttpClient: the `X-Kite-Version: 3` header, the
// `Authorization` value from kite/auth.h, form-encoded bodies, and kite::ParseEnvelope() for
// every answer. Declared here, in zm_net, so that zm_kite never depends on the network layer.
// Owns its HttpClient. Threading: call from the process's io_context thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/kite/kite_api.h"
#include "common/net/http_client.h"
#include "common/secret.h"

namespace zm::kite {

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
  // Call, then `parse` of the answer's data: the first failure of the two, or the parsed value.
  template <typename T>
  Async<T> CallAndParse(std::string method, std::string target, std::string body,
                        Result<T> (*parse)(const nlohmann::json&), bool authorized = true);
  std::unique_ptr<net::HttpClient> http_;
  std::string api_key_;
  Secret access_token_;
};

}  // namespace zm::kite
