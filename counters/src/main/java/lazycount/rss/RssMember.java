package lazycount.rss;

/** The {@code NR_MM_COUNTERS} resident-set counters of an mm. */
public enum RssMember {
    FILEPAGES("MM_FILEPAGES"),
    ANONPAGES("MM_ANONPAGES"),
    SWAPENTS("MM_SWAPENTS"),
    SHMEMPAGES("MM_SHMEMPAGES");

    private final String kernelName;

    RssMember(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name {@code check_mm} prints. */
    public String kernelName() {
        return kernelName;
    }
}
