// The completion token every coroutine of zm_net awaits with, as_tuple(use_awaitable): a failed
// operation yields its error_code as a value, so no exception leaves an Asio handler. Also the
// `asio` alias and error_code, which every file of zm_net uses. Internal to zm_net.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

namespace zm::net {

namespace asio = boost::asio;
using boost::system::error_code;

inline constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

}  // namespace zm::net
