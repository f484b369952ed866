/** A name made of letters only, unique per number (provider names allow no digits). */
export function letters(n: number): string {
  let name = "";
  let rest = n;
  do {
    name = String.fromCharCode(97 + (rest % 26)) + name;
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return name;
}
