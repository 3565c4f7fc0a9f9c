package dev.spindle.code;

import java.util.Arrays;
import java.util.List;
import run.endive.runtime.HostFunction;
import run.endive.runtime.WasmFunctionHandle;
import run.endive.runtime.WasmRuntimeException;
import run.endive.wasm.types.ValType;

/**
 * WASI for code that probes it: Endive throws where it has no case for a descriptor ({@code os.fstat(3)}
 * on the preopened directory), which would end the whole run as a crash. Such a call answers
 * {@code ENOTSUP} instead, an {@code OSError} the code can catch or let print.
 */
final class WasiErrors {
    /** WASI's {@code errno.notsup}. */
    static final long ENOTSUP = 58;

    private WasiErrors() {}

    static HostFunction[] answered(HostFunction[] functions) {
        return Arrays.stream(functions).map(WasiErrors::answered).toArray(HostFunction[]::new);
    }

    /** Only functions that answer an errno can answer one; the others (proc_exit) are left as they are. */
    private static HostFunction answered(HostFunction function) {
        if (!function.returnTypes().equals(List.of(ValType.I32))) {
            return function;
        }
        WasmFunctionHandle handle = function.handle();
        return new HostFunction(function.module(), function.name(), function.functionType(), (instance, args) -> {
            try {
                return handle.apply(instance, args);
            } catch (WasmRuntimeException e) {
                if (String.valueOf(e.getMessage()).startsWith("Unhandled descriptor")) {
                    return new long[] {ENOTSUP};
                }
                throw e;
            }
        });
    }
}
