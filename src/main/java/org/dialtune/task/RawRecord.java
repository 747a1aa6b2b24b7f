package org.dialtune.task;

import com.google.gson.JsonElement;

/**
 * One record as a reader produced it: a JSON tree (CSV rows become objects keyed by column name),
 * the record's key within its container (object key or list index, addressable as {@code $key}),
 * and where it was read, e.g. {@code banking77/train.csv:17}.
 */
public record RawRecord(JsonElement value, String key, String location) {}
