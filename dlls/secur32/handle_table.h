/* Maps SSPI handles (CredHandle / CtxtHandle) to reference-counted objects.
 *
 * A handle never carries a pointer: dwLower holds a kind tag and a slot
 * index, dwUpper the slot's generation. Stale, freed, garbage and
 * wrong-kind handles therefore fail the lookup (SEC_E_INVALID_HANDLE)
 * instead of being dereferenced. */
#pragma once

#include <vector>

#include "package.h"
#include "srw_lock.h"

namespace secur32 {

class handle_table {
public:
    static handle_table &instance();

    /* Registers `object`; returns false when out of memory or slots. */
    bool insert_credential(ref_ptr<credential> object, CredHandle *out);
    bool insert_context(ref_ptr<context> object, CtxtHandle *out);

    ref_ptr<credential> find_credential(const CredHandle *handle);
    ref_ptr<context> find_context(const CtxtHandle *handle);

    /* Replaces the object behind a live context handle (a package may hand
     * back a new context on a continuation call). */
    bool replace_context(const CtxtHandle *handle, ref_ptr<context> object);

    /* Unregisters the handle and returns its object (null if invalid). */
    ref_ptr<credential> remove_credential(const CredHandle *handle);
    ref_ptr<context> remove_context(const CtxtHandle *handle);

private:
    enum class kind : unsigned char { free = 0, credential = 1, context = 2 };
    struct slot {
        ref_counted *object = nullptr;
        ULONG_PTR generation = 0;
        kind type = kind::free;
    };

    bool insert(ref_counted *object, kind type, SecHandle *out);
    ref_counted *find_locked(const SecHandle *handle, kind type);
    ref_counted *remove(const SecHandle *handle, kind type);

    srw_lock lock_;
    std::vector<slot> slots_;
    std::vector<size_t> free_slots_;
    ULONG_PTR next_generation_ = 0;
};

} // namespace secur32
