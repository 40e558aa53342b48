/** punycode.js (the npm package of Node's punycode module, without the Node built-in's name) ships no types. */
declare module 'punycode.js' {
  const punycode: {
    toUnicode(domain: string): string;
    toASCII(domain: string): string;
  };
  export default punycode;
}
