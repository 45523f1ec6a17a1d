package lazycount.cpu;

/**
 * A misuse of CPU hotplug in the model: taking down a CPU that is not online
 * or the last online one, bringing up one that is not offline, a hotplug call
 * made with preemption disabled, or a hotplug-list entry added twice or
 * removed without being added (list corruption in the kernel).
 */
public final class CpuHotplugException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    CpuHotplugException(String message) {
        super(message);
    }
}
