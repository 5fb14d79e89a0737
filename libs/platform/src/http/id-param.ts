import { Injectable, PipeTransform } from '@nestjs/common';
import { CommonErrors } from '../errors/domain-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names no record: 404, like any record the caller cannot see. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw CommonErrors.notFound();
    return value.toLowerCase();
  }
}
