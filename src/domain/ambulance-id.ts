/** Ambulance ids as devices send them ("332"), and legacy ObjectId hex strings; never paths or operators. */
export const AMBULANCE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidAmbulanceId(value: string): boolean {
  return AMBULANCE_ID_PATTERN.test(value);
}

export const AMBULANCE_ID_RULE = '1-64 characters: letters, digits, "-" or "_"';
