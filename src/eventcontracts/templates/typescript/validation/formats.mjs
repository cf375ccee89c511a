// The string formats the generated validators check, exactly as the registry's validator
// (Python jsonschema with its FormatChecker, and eventcontracts.runtime.types) checks them: an
// event one side accepts, the other accepts too. Written by eventcontracts; do not edit.
// Formats not listed here (uri, hostname, int64, ...) are not checked on either side.

// Python's str.isspace(), which int() strips (JavaScript's \s differs: U+FEFF, U+001C-1F).
const PY_SPACE = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

// rfc3339-validator's pattern, read after upper-casing; Python's "$" also matches before a
// final newline.
const RFC3339 = /^(\d{4})-(0[1-9]|1[0-2])-(\d{2})T(?:[01]\d|2[0123]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0123]):[0-5]\d)\n?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// datetime.strptime(text, "%H:%M:%S"): one or two digits each, no 60th second.
const TIME = /^(?:2[0-3]|[01]\d|\d):(?:[0-5]\d|\d):(?:[0-5]\d|\d)$/;
const JSON_POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/u;
// int(text, 16) of Python: blanks around, a sign, a 0x prefix, single underscores between
// digits, and any Unicode decimal digit.
const PY_HEX_INT = new RegExp(
  `^[${PY_SPACE}]*[+-]?(?:0[xX]_?)?[\\p{Nd}a-fA-F]+(?:_[\\p{Nd}a-fA-F]+)*[${PY_SPACE}]*$`,
  "u",
);
const HEXTET = /^[0-9a-fA-F]{1,4}$/;
const DIGIT = /^\p{Nd}$/u;

function realDay(year, month, day) {
  return year > 0 && month >= 1 && month <= 12 && day >= 1 && day <= monthLength(year, month);
}

function monthLength(year, month) {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function dateTime(text) {
  const match = RFC3339.exec(text.toUpperCase());
  if (match === null) return false;
  return realDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

function date(text) {
  const match = DATE.exec(text);
  return match !== null && realDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

function time(text) {
  return TIME.test(text);
}

function email(text) {
  return text.includes("@");
}

function ipv4(text) {
  const octets = text.split(".");
  if (octets.length !== 4) return false;
  return octets.every(
    (octet) =>
      /^[0-9]{1,3}$/.test(octet) && (octet === "0" || octet[0] !== "0") && Number(octet) <= 255,
  );
}

// ipaddress.IPv6Address of Python, read without a scope id (jsonschema refuses one).
function ipv6(text) {
  if (text.includes("%") || text.includes("/") || text === "") return false;
  const parts = text.split(":");
  if (parts.length < 3) return false;
  if (parts[parts.length - 1].includes(".")) {
    if (!ipv4(parts.pop())) return false;
    parts.push("0", "0");
  }
  if (parts.length > 9) return false;
  let skip = -1;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] === "") {
      if (skip !== -1) return false;
      skip = i;
    }
  }
  let hi;
  let lo;
  if (skip !== -1) {
    hi = skip;
    lo = parts.length - skip - 1;
    if (parts[0] === "") {
      hi -= 1;
      if (hi) return false;
    }
    if (parts[parts.length - 1] === "") {
      lo -= 1;
      if (lo) return false;
    }
    if (8 - (hi + lo) < 1) return false;
  } else {
    if (parts.length !== 8 || parts[0] === "" || parts[parts.length - 1] === "") return false;
    hi = parts.length;
    lo = 0;
  }
  const checked = [...parts.slice(0, hi), ...(lo ? parts.slice(-lo) : [])];
  return checked.every((part) => HEXTET.test(part));
}

function stripChars(text, chars) {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start])) start++;
  while (end > start && chars.includes(text[end - 1])) end--;
  return text.slice(start, end);
}

// uuid.UUID(text) of Python, then a dash at each of the four places (jsonschema's check).
function uuid(text) {
  const hex = stripChars(text.split("urn:").join("").split("uuid:").join(""), "{}").split("-").join("");
  if ([...hex].length !== 32 || !PY_HEX_INT.test(hex)) return false;
  const points = [...text];
  return [8, 13, 18, 23].every((position) => points[position] === "-");
}

// The JSON Schema reading (ECMA-262); jsonschema asks Python's re (see the tool's docs).
function regex(text) {
  try {
    new RegExp(text, "u");
    return true;
  } catch {
    return false;
  }
}

function jsonPointer(text) {
  return JSON_POINTER.test(text);
}

// A decimal digit's value: Unicode lays every digit out in runs from 0 to 9.
function digitValue(point) {
  const code = point.codePointAt(0);
  let before = 0;
  while (DIGIT.test(String.fromCodePoint(code - 1 - before))) before++;
  return before % 10;
}

// jsonschema's relative-json-pointer: a non-negative integer without a leading zero, then
// "#" or a JSON pointer.
function relativeJsonPointer(text) {
  const points = [...text];
  if (points.length === 0) return false;
  let digits = 0;
  for (const point of points) {
    if (!DIGIT.test(point)) break;
    if (digits > 0 && digitValue(points[digits - 1]) === 0) return false;
    digits++;
  }
  if (digits === 0) return false;
  const rest = points.slice(digits).join("");
  return rest === "#" || jsonPointer(rest);
}

export const formats = {
  "date-time": dateTime,
  date,
  time,
  email,
  "idn-email": email,
  ipv4,
  ipv6,
  uuid,
  regex,
  "json-pointer": jsonPointer,
  "relative-json-pointer": relativeJsonPointer,
};

export default formats;
