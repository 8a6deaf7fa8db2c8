/**
 * Strict protobuf encoding and decoding for the core's schemas (proto/, generated into gen/).
 *
 * A thin layer over @bufbuild/protobuf's `toBinary` / `fromBinary` that makes two things true
 * everywhere the core touches protobuf:
 *
 * - **proto2 `required` fields are enforced on decode as well as encode.** Upstream parses with
 *   the C++ runtime (session-foundation/libsession-util:src/session_protocol.cpp,
 *   `ParseFromArray`), which rejects a message whose required fields are missing, and
 *   @bufbuild/protobuf checks them only when encoding. Checking on decode means we accept exactly
 *   what upstream accepts, and inner code can trust a required field it reads.
 * - **Failures are `ProtocolError`s**: bytes that do not parse are `invalid-protobuf`; a message
 *   a caller built without its required fields is `invalid-input`.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { reflect, isReflectList, isReflectMap, isReflectMessage } from '@bufbuild/protobuf/reflect';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';
// How a proto2 `required` field shows in a descriptor.
import { FeatureSet_FieldPresence } from '@bufbuild/protobuf/wkt';
import { ProtocolError } from '../errors.ts';
import { assertBytes } from '../encoding/bytes.ts';

/**
 * Serializes `message` (a built message or an init object) as `schema`. Throws `invalid-input`
 * when a required field is not set.
 */
export function encodeProtobuf<Desc extends DescMessage>(
  schema: Desc,
  message: MessageInitShape<Desc>,
): Uint8Array {
  const built = create(schema, message);
  const missing = findMissingRequiredField(reflect(schema, built));
  if (missing !== undefined) {
    throw new ProtocolError(
      'invalid-input',
      `${schema.name}: required field ${missing} is not set`,
      { subject: missing },
    );
  }
  return toBinary(schema, built);
}

/**
 * Parses `bytes` as `schema`. Throws `invalid-protobuf` when the bytes are not a well-formed
 * message or a required field (at any depth) is missing. Unknown fields are kept, so a message
 * re-encodes to the bytes it came from.
 */
export function decodeProtobuf<Desc extends DescMessage>(
  schema: Desc,
  bytes: Uint8Array,
): MessageShape<Desc> {
  assertBytes(schema.name, bytes);
  let message: MessageShape<Desc>;
  try {
    message = fromBinary(schema, bytes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ProtocolError(
      'invalid-protobuf',
      `${schema.name}: not a valid protobuf message (${reason})`,
      { cause },
    );
  }
  const missing = findMissingRequiredField(reflect(schema, message));
  if (missing !== undefined) {
    throw new ProtocolError(
      'invalid-protobuf',
      `${schema.name}: required field ${missing} is missing`,
      { subject: missing },
    );
  }
  return message;
}

/**
 * The dotted path of the first required field that is not set, searching set sub-messages,
 * lists and maps depth first; `undefined` when every required field is present.
 */
function findMissingRequiredField(message: ReflectMessage): string | undefined {
  for (const field of message.sortedFields) {
    if (!message.isSet(field)) {
      if (field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED) return field.name;
      continue;
    }
    const value = message.get(field);
    const children: ReflectMessage[] = [];
    if (isReflectMessage(value)) children.push(value);
    else if (isReflectList(value) || isReflectMap(value)) {
      for (const item of value.values()) if (isReflectMessage(item)) children.push(item);
    }
    for (const child of children) {
      const missing = findMissingRequiredField(child);
      if (missing !== undefined) return `${field.name}.${missing}`;
    }
  }
  return undefined;
}
