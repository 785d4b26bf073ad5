package org.sparkprop.data;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.sparkprop.data.export.ExportBatch;
import org.sparkprop.data.export.ExportPart;
import org.sparkprop.data.folder.BadInput;
import org.sparkprop.data.folder.ImageItem;

/**
 * Kryo registrations for the data-prep records that travel between Spark tasks. Spark's Kryo (4.x) predates Java
 * records and cannot set their final fields, so records go through Java serialization inside Kryo. Add it to
 * {@code spark.kryo.registrator} (comma-separated, next to ND4J's): {@link #NAME}.
 */
public final class DataPrepKryoRegistrator implements KryoRegistrator {
    public static final String NAME = DataPrepKryoRegistrator.class.getName();

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(ImageItem.class, new JavaSerializer());
        kryo.register(BadInput.class, new JavaSerializer());
        kryo.register(ExportBatch.class, new JavaSerializer());
        kryo.register(ExportPart.class, new JavaSerializer());
    }
}
