/* Handle table: see handle_table.h for the encoding and why. */
#include "handle_table.h"

#include <new>

namespace secur32 {

namespace {

/* dwLower = tag | index. The tag makes a credential handle passed as a
 * context handle (and most garbage) fail at once. */
constexpr ULONG_PTR index_bits = 22;
constexpr ULONG_PTR index_mask = (ULONG_PTR(1) << index_bits) - 1;
constexpr ULONG_PTR max_slots = index_mask;
constexpr ULONG_PTR credential_tag = ULONG_PTR(0x1C5) << index_bits;
constexpr ULONG_PTR context_tag = ULONG_PTR(0x2C7) << index_bits;

} // namespace

handle_table &handle_table::instance()
{
    static handle_table table;
    return table;
}

bool handle_table::insert(ref_counted *object, kind type, SecHandle *out)
{
    exclusive_guard guard(lock_);
    size_t index;
    try {
        if (!free_slots_.empty()) {
            index = free_slots_.back();
            free_slots_.pop_back();
        } else {
            if (slots_.size() >= max_slots) return false;
            if (!next_generation_) next_generation_ = GetTickCount() | 1;
            free_slots_.reserve(slots_.size() + 1); /* so remove() cannot fail */
            slots_.emplace_back();
            index = slots_.size() - 1;
        }
    } catch (const std::bad_alloc &) {
        return false;
    }
    /* Generations are never 0 or ~0, so a zeroed or SecInvalidateHandle'd
     * handle never matches. */
    if (++next_generation_ == 0 || next_generation_ == ~ULONG_PTR(0)) next_generation_ = 1;
    slot &s = slots_[index];
    s.object = object;
    s.generation = next_generation_;
    s.type = type;
    out->dwLower = (type == kind::credential ? credential_tag : context_tag) | index;
    out->dwUpper = s.generation;
    return true;
}

ref_counted *handle_table::find_locked(const SecHandle *handle, kind type)
{
    if (!handle) return nullptr;
    ULONG_PTR tag = type == kind::credential ? credential_tag : context_tag;
    if ((handle->dwLower & ~index_mask) != tag) return nullptr;
    size_t index = handle->dwLower & index_mask;
    if (index >= slots_.size()) return nullptr;
    slot &s = slots_[index];
    if (s.type != type || s.generation != handle->dwUpper) return nullptr;
    return s.object;
}

ref_counted *handle_table::remove(const SecHandle *handle, kind type)
{
    exclusive_guard guard(lock_);
    ref_counted *object = find_locked(handle, type);
    if (!object) return nullptr;
    size_t index = handle->dwLower & index_mask;
    slots_[index] = slot{};
    free_slots_.push_back(index); /* capacity reserved at insert */
    return object;
}

bool handle_table::insert_credential(ref_ptr<credential> object, CredHandle *out)
{
    if (!insert(object.get(), kind::credential, out)) return false;
    object.detach(); /* the table now owns this reference */
    return true;
}

bool handle_table::insert_context(ref_ptr<context> object, CtxtHandle *out)
{
    if (!insert(object.get(), kind::context, out)) return false;
    object.detach();
    return true;
}

ref_ptr<credential> handle_table::find_credential(const CredHandle *handle)
{
    shared_guard guard(lock_);
    return ref_ptr<credential>(static_cast<credential *>(find_locked(handle, kind::credential)));
}

ref_ptr<context> handle_table::find_context(const CtxtHandle *handle)
{
    shared_guard guard(lock_);
    return ref_ptr<context>(static_cast<context *>(find_locked(handle, kind::context)));
}

bool handle_table::replace_context(const CtxtHandle *handle, ref_ptr<context> object)
{
    ref_counted *old;
    {
        exclusive_guard guard(lock_);
        old = find_locked(handle, kind::context);
        if (!old) return false;
        slots_[handle->dwLower & index_mask].object = object.detach();
    }
    old->release();
    return true;
}

ref_ptr<credential> handle_table::remove_credential(const CredHandle *handle)
{
    return ref_ptr<credential>::adopt(static_cast<credential *>(remove(handle, kind::credential)));
}

ref_ptr<context> handle_table::remove_context(const CtxtHandle *handle)
{
    return ref_ptr<context>::adopt(static_cast<context *>(remove(handle, kind::context)));
}

} // namespace secur32
