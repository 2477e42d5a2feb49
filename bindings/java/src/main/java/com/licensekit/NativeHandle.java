package com.licensekit;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.util.function.Consumer;

/**
 * An owned C handle: freed by {@link #close()} (use try-with-resources) or, as a safety
 * net, by a {@link Cleaner} once unreachable. Closing twice is harmless; a closed handle
 * throws {@link IllegalStateException}.
 */
public abstract class NativeHandle implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** Holds the pointer for the cleaner, which must not refer to the handle object. */
    private static final class Owned implements Runnable {
        private Pointer ptr;
        private final Consumer<Pointer> free;

        Owned(Pointer ptr, Consumer<Pointer> free) {
            this.ptr = ptr;
            this.free = free;
        }

        @Override
        public synchronized void run() {
            Pointer p = ptr;
            ptr = null;
            if (p != null) {
                free.accept(p);
            }
        }
    }

    private final Owned owned;
    private final Cleaner.Cleanable cleanable;

    NativeHandle(Pointer ptr, Consumer<Pointer> free) {
        this.owned = new Owned(ptr, free);
        this.cleanable = CLEANER.register(this, owned);
    }

    final Pointer ptr() {
        Pointer p = owned.ptr;
        if (p == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " was closed");
        }
        return p;
    }

    /** Free the C handle now. */
    @Override
    public final void close() {
        cleanable.clean();
    }
}
