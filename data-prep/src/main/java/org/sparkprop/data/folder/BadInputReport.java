package org.sparkprop.data.folder;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkprop.data.fs.Uris;

/**
 * Every file and folder of a dataset that was skipped, with its reason, out of how many looked at. Written as a
 * tab-separated file ({@code path, reason, detail}, sorted by path, after a commented summary); a job fails when the
 * bad share exceeds its threshold, naming the report.
 */
public final class BadInputReport {
    public static final String FILE_NAME = "bad-input.tsv";

    private final List<BadInput> entries;
    private final long examined;

    /**
     * @param entries  the skipped files and folders
     * @param examined files looked at (good and bad), the denominator of the bad share
     */
    public BadInputReport(List<BadInput> entries, long examined) {
        List<BadInput> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(BadInput::path));
        this.entries = List.copyOf(sorted);
        this.examined = examined;
    }

    public List<BadInput> entries() {
        return entries;
    }

    public long examined() {
        return examined;
    }

    public int count() {
        return entries.size();
    }

    /** Skipped entries per reason, in the order of {@link BadInputReason}, reasons without entries left out. */
    public Map<BadInputReason, Integer> countsByReason() {
        Map<BadInputReason, Integer> counts = new EnumMap<>(BadInputReason.class);
        for (BadInput bad : entries) {
            counts.merge(bad.reason(), 1, Integer::sum);
        }
        return counts;
    }

    /** Bad entries over files examined (0 when nothing was examined). */
    public double share() {
        return examined == 0 ? 0 : entries.size() / (double) examined;
    }

    /** One line: {@code 3 of 1,204 files skipped (0.25%): 1 empty-file, 2 corrupt-image}. */
    public String summary() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%,d of %,d files skipped (%.2f%%)",
                entries.size(), examined, 100 * share()));
        if (!entries.isEmpty()) {
            List<String> parts = new ArrayList<>();
            countsByReason().forEach((reason, n) -> parts.add(n + " " + reason.id()));
            out.append(": ").append(String.join(", ", parts));
        }
        return out.toString();
    }

    /** Writes the report to {@code file} (any Hadoop URI), replacing an older one. */
    public void write(String file, Configuration hadoop) throws IOException {
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(hadoop);
        try (FSDataOutputStream stream = fs.create(path, true);
             Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8)) {
            out.write("# " + summary() + "\n");
            out.write("path\treason\tdetail\n");
            for (BadInput bad : entries) {
                out.write(clean(Uris.withoutPassword(bad.path())) + "\t" + bad.reason().id() + "\t"
                        + clean(Uris.withoutPassword(bad.detail())) + "\n");
            }
        }
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Throws when the bad share exceeds {@code threshold}.
     *
     * @param setting    the name {@code threshold} is set by
     * @param reportFile where {@link #write} put this report, named in the message
     */
    public void check(double threshold, String setting, String reportFile) {
        if (share() > threshold) {
            throw new TooMuchBadInputException(String.format(Locale.ROOT, "%s, more than %s = %s (%.2f%%). Every"
                            + " skipped file and why is listed in %s. Fix or remove those files, or raise %s if"
                            + " losing them is acceptable.", summary(), setting, stripZeros(threshold),
                    100 * threshold, reportFile, setting));
        }
    }

    private static String stripZeros(double value) {
        return new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
}
