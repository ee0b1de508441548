// Local declarations for packages that ship without typings.

declare module "snowball-stemmers" {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(algorithm: string): Stemmer;
  export function algorithms(): string[];
}

declare module "stopword" {
  export const eng: string[];
  export const fra: string[];
  export const rus: string[];
  export const zho: string[];
}
