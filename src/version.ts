/** The kit's version, printed in every table and figure caption (a test keeps it equal to package.json's). */
export const KIT_VERSION = "0.1.0";
export const KIT_NAME = "swapcost";
