package dev.spindle.sandbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;

/**
 * The classic-BPF seccomp program every sandboxed command runs under (bubblewrap loads it with
 * {@code --seccomp FD}): it refuses with {@code EPERM} the calls a command has no business making
 * (debugging other processes, mounting, loading kernel code, keyrings, clocks, new namespaces), answers
 * {@code ENOSYS} for {@code clone3} so that libc falls back to {@code clone}, whose namespace flags it can
 * inspect, and kills a process that switches to another syscall ABI. Everything else is allowed: a
 * deny list, since the namespaces and the read-only root are the fence and this only narrows the kernel
 * surface behind it.
 */
public final class SeccompFilter {
    private static final int LD_W_ABS = 0x20;
    private static final int JEQ_K = 0x15;
    private static final int JSET_K = 0x45;
    private static final int RET_K = 0x06;

    private static final int RET_ALLOW = 0x7fff0000;
    private static final int RET_KILL_PROCESS = 0x80000000;
    private static final int RET_ERRNO = 0x00050000;
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    private static final int OFFSET_NR = 0;
    private static final int OFFSET_ARCH = 4;
    private static final int OFFSET_ARG0_LOW = 16; // little-endian: the low half of args[0]

    /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET. */
    private static final int CLONE_NEW_NAMESPACES = 0x7E020000;

    /** One architecture's numbers: its audit id, the denied calls, clone and clone3, and the x32 bit where there is one. */
    private record Arch(int audit, Map<String, Integer> denied, int cloneCall, int clone3Call, boolean x32Bit) {}

    private static final Map<String, Arch> ARCHES = Map.of(
            "amd64", new Arch(0xc000003e, Map.ofEntries(
                    Map.entry("ptrace", 101), Map.entry("syslog", 103), Map.entry("vhangup", 153),
                    Map.entry("pivot_root", 155), Map.entry("adjtimex", 159), Map.entry("chroot", 161),
                    Map.entry("acct", 163), Map.entry("settimeofday", 164), Map.entry("mount", 165),
                    Map.entry("umount2", 166), Map.entry("swapon", 167), Map.entry("swapoff", 168),
                    Map.entry("reboot", 169), Map.entry("iopl", 172), Map.entry("ioperm", 173),
                    Map.entry("init_module", 175), Map.entry("delete_module", 176), Map.entry("quotactl", 179),
                    Map.entry("lookup_dcookie", 212), Map.entry("clock_settime", 227), Map.entry("kexec_load", 246),
                    Map.entry("add_key", 248), Map.entry("request_key", 249), Map.entry("keyctl", 250),
                    Map.entry("unshare", 272), Map.entry("perf_event_open", 298), Map.entry("name_to_handle_at", 303),
                    Map.entry("open_by_handle_at", 304), Map.entry("clock_adjtime", 305), Map.entry("setns", 308),
                    Map.entry("process_vm_readv", 310), Map.entry("process_vm_writev", 311), Map.entry("finit_module", 313),
                    Map.entry("kexec_file_load", 320), Map.entry("bpf", 321), Map.entry("userfaultfd", 323),
                    Map.entry("io_uring_setup", 425), Map.entry("io_uring_enter", 426), Map.entry("io_uring_register", 427),
                    Map.entry("open_tree", 428), Map.entry("move_mount", 429), Map.entry("fsopen", 430),
                    Map.entry("fsconfig", 431), Map.entry("fsmount", 432), Map.entry("fspick", 433),
                    Map.entry("mount_setattr", 442), Map.entry("quotactl_fd", 443)), 56, 435, true),
            "aarch64", new Arch(0xc00000b7, Map.ofEntries(
                    Map.entry("lookup_dcookie", 18), Map.entry("umount2", 39), Map.entry("mount", 40),
                    Map.entry("pivot_root", 41), Map.entry("chroot", 51), Map.entry("vhangup", 58),
                    Map.entry("quotactl", 60), Map.entry("acct", 89), Map.entry("unshare", 97),
                    Map.entry("kexec_load", 104), Map.entry("init_module", 105), Map.entry("delete_module", 106),
                    Map.entry("clock_settime", 112), Map.entry("syslog", 116), Map.entry("ptrace", 117),
                    Map.entry("reboot", 142), Map.entry("settimeofday", 170), Map.entry("adjtimex", 171),
                    Map.entry("add_key", 217), Map.entry("request_key", 218), Map.entry("keyctl", 219),
                    Map.entry("swapon", 224), Map.entry("swapoff", 225), Map.entry("perf_event_open", 241),
                    Map.entry("name_to_handle_at", 264), Map.entry("open_by_handle_at", 265), Map.entry("clock_adjtime", 266),
                    Map.entry("setns", 268), Map.entry("process_vm_readv", 270), Map.entry("process_vm_writev", 271),
                    Map.entry("finit_module", 273), Map.entry("bpf", 280), Map.entry("userfaultfd", 282),
                    Map.entry("kexec_file_load", 294), Map.entry("io_uring_setup", 425), Map.entry("io_uring_enter", 426),
                    Map.entry("io_uring_register", 427), Map.entry("open_tree", 428), Map.entry("move_mount", 429),
                    Map.entry("fsopen", 430), Map.entry("fsconfig", 431), Map.entry("fsmount", 432),
                    Map.entry("fspick", 433), Map.entry("mount_setattr", 442), Map.entry("quotactl_fd", 443)), 220, 435, false));

    private SeccompFilter() {}

    /** The names of the calls refused, for the docs and the tests. */
    public static java.util.Set<String> deniedCalls() {
        return ARCHES.get("amd64").denied().keySet();
    }

    /** The program for this JVM's architecture, as the kernel takes it; empty on one it has no numbers for. */
    public static Optional<byte[]> forThisMachine() {
        return Optional.ofNullable(ARCHES.get(System.getProperty("os.arch"))).map(SeccompFilter::program);
    }

    private static byte[] program(Arch arch) {
        Program p = new Program();
        p.load(OFFSET_ARCH);
        p.jumpIfEqual(arch.audit(), 1, 0);
        p.ret(RET_KILL_PROCESS);
        p.load(OFFSET_NR);
        if (arch.x32Bit()) {
            p.jumpIfAnySet(0x40000000, 0, 1);
            p.ret(RET_KILL_PROCESS);
        }
        for (int nr : arch.denied().values()) {
            p.jumpIfEqual(nr, 0, 1);
            p.ret(RET_ERRNO | EPERM);
        }
        p.jumpIfEqual(arch.clone3Call(), 0, 1);
        p.ret(RET_ERRNO | ENOSYS);
        p.jumpIfEqual(arch.cloneCall(), 0, 3);
        p.load(OFFSET_ARG0_LOW);
        p.jumpIfAnySet(CLONE_NEW_NAMESPACES, 0, 1);
        p.ret(RET_ERRNO | EPERM);
        p.ret(RET_ALLOW);
        return p.bytes();
    }

    /** struct sock_filter instructions: u16 code, u8 jt, u8 jf, u32 k, in the machine's byte order. */
    private static final class Program {
        private final ByteBuffer out = ByteBuffer.allocate(8 * 256).order(ByteOrder.nativeOrder());

        void load(int offset) {
            add(LD_W_ABS, 0, 0, offset);
        }

        void jumpIfEqual(int k, int ifTrue, int ifFalse) {
            add(JEQ_K, ifTrue, ifFalse, k);
        }

        void jumpIfAnySet(int bits, int ifTrue, int ifFalse) {
            add(JSET_K, ifTrue, ifFalse, bits);
        }

        void ret(int action) {
            add(RET_K, 0, 0, action);
        }

        private void add(int code, int jt, int jf, int k) {
            out.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
        }

        byte[] bytes() {
            byte[] bytes = new byte[out.position()];
            out.flip().get(bytes);
            return bytes;
        }
    }
}
