/* LSA connection handles (see lsa_connection.h). */
#include "lsa_connection.h"

#include <algorithm>
#include <new>
#include <vector>

#include "srw_lock.h"

namespace secur32 {

namespace {

/* A distinct heap address per connection is the handle value. */
struct connection {
    char unused;
};

struct connection_list {
    srw_lock lock;
    std::vector<connection *> live;
};

/* Never destroyed: a late call during process exit must still find it. */
connection_list &connections()
{
    static connection_list *list = new connection_list;
    return *list;
}

} // namespace

HANDLE lsa_connection_open()
{
    connection_list &list = connections();
    auto *c = new (std::nothrow) connection();
    if (!c) return nullptr;
    try {
        exclusive_guard guard(list.lock);
        list.live.push_back(c);
    } catch (...) {
        delete c;
        return nullptr;
    }
    return c;
}

bool lsa_connection_close(HANDLE handle)
{
    connection_list &list = connections();
    connection *found = nullptr;
    {
        exclusive_guard guard(list.lock);
        auto it = std::find(list.live.begin(), list.live.end(), static_cast<connection *>(handle));
        if (it == list.live.end()) return false;
        found = *it;
        list.live.erase(it);
    }
    delete found;
    return true;
}

} // namespace secur32
