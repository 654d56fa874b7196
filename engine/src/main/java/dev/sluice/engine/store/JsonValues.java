package dev.sluice.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Param and matrix values as JSON text. Values are String, Long, Double or Boolean and come back
 * with the same type: whole numbers are read as Long, others as Double (NaN and infinities too);
 * Integer, Short and Byte are stored as numbers and come back as Long, Float as Double.
 */
final class JsonValues {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    /** @param what names the values in an error, e.g. {@code params of run r1} */
    String write(Map<String, Object> values, String what) {
        values.forEach((name, value) -> {
            if (value != null && !isScalar(value)) {
                throw new IllegalArgumentException(what + ": value of '" + name + "' is a "
                        + value.getClass().getSimpleName() + "; expected a string, number or boolean");
            }
        });
        try {
            return mapper.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    Map<String, Object> read(String json) {
        try {
            return mapper.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Boolean
                || value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof Double || value instanceof Float;
    }
}
