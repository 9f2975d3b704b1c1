import { ArgsType } from 'type-graphql';
import { PageArgs } from './pagination.args.js';

@ArgsType()
abstract class NoArgs {}

@ArgsType()
export class AmbulancesArgs extends PageArgs(NoArgs, 'The `cursor` of the last ambulance of the previous page.') {}
