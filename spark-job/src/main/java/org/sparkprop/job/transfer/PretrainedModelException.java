package org.sparkprop.job.transfer;

import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.TransferSection;

/** transfer.source cannot be used: missing, unreadable, in a format we cannot read, or not transferable. */
public final class PretrainedModelException extends ConfigException {
    PretrainedModelException(String source, String problem, String whatToDo) {
        super("Cannot use " + source + " (" + TransferSection.SOURCE + "): " + problem + ". " + whatToDo);
    }

    PretrainedModelException(String source, String problem, String whatToDo, Throwable cause) {
        this(source, problem, whatToDo);
        initCause(cause);
    }
}
