// Loopback test servers for the net adapters: a tiny HTTP(S) server and a WebSocket server,
// each on its own thread and io_context, listening on 127.0.0.1 port 0. Test-only.
// Thread-safety: the public methods may be called from the test thread; the recorded data is
// guarded by a mutex.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace zm::net::testing {

struct RecordedRequest {
  std::string method, target, body;
  std::map<std::string, std::string> headers;  // lower-case names
};

struct ServerReply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  bool gzip = false;
  bool close = false;  // Connection: close, then close the socket
};

// Server-side TLS context with the certificate and key in PEM.
std::shared_ptr<boost::asio::ssl::context> MakeServerTls(const std::string& cert_pem,
                                                         const std::string& key_pem);

class TestHttpServer {
 public:
  enum class Mode { kAnswer, kNeverAnswer, kCloseWithoutAnswer };
  using Handler = std::function<ServerReply(const RecordedRequest&)>;

  explicit TestHttpServer(Handler handler,
                          std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~TestHttpServer();

  unsigned short port() const { return port_; }
  std::string base_url() const;  // http(s)://127.0.0.1:P
  int accepts() const { return accepts_; }
  std::vector<RecordedRequest> requests() const;
  void set_mode(Mode mode) { mode_ = mode; }
  // Closes every server-side connection now (an idle close by the peer). Bounded (2 s).
  void CloseAllConnections();

 private:
  boost::asio::awaitable<void> AcceptLoop();
  template <typename Stream>
  boost::asio::awaitable<void> Serve(Stream& stream);
  boost::asio::awaitable<void> Session(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Handler handler_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  unsigned short port_ = 0;
  std::atomic<int> accepts_{0};
  std::atomic<Mode> mode_{Mode::kAnswer};
  mutable std::mutex mu_;
  std::vector<RecordedRequest> requests_;
  std::vector<std::weak_ptr<boost::asio::ip::tcp::socket>> sockets_;  // server thread only
  std::thread thread_;
};

class TestWsServer {
 public:
  enum class Mode {
    kEcho,             // sends "hello" (text) and "\x01" (binary), then echoes every message
    kSilent,           // sends "hello" then never sends again (reads and discards)
    kReject403,        // answers the upgrade with 403 and a TokenException body
    kCloseAfterHello,  // sends "hello" then closes with code 1008 reason "bye"
    kHostileClose,     // sends "hello" then closes with a reason full of control characters
    kHugeMessage,      // sends "hello" then one 2 MiB binary message, then reads
    kNoRead,           // sends "hello" then neither reads nor sends (its TCP window fills)
  };
  explicit TestWsServer(Mode mode, std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~TestWsServer();

  unsigned short port() const { return port_; }
  std::string url() const;  // ws(s)://127.0.0.1:P/?api_key=k&access_token=SECRET_TOKEN
  std::vector<std::string> received() const;  // "T:text" / "B:binary"
  int accepts() const { return accepts_; }
  bool saw_close() const { return saw_close_; }

 private:
  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> Session(boost::asio::ip::tcp::socket socket);
  template <typename Stream>
  boost::asio::awaitable<void> Serve(Stream stream);
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Mode mode_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  unsigned short port_ = 0;
  std::atomic<int> accepts_{0};
  std::atomic<bool> saw_close_{false};
  mutable std::mutex mu_;
  std::vector<std::string> received_;
  std::thread thread_;
};

}  // namespace zm::net::testing
