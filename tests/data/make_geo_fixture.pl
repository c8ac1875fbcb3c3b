#!/usr/bin/perl
# Writes a small MaxMind-format database for the tests (never downloaded):
#   make_geo_fixture.pl OUT.mmdb
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my %types = (
    country => 'map', iso_code => 'utf8_string', names => 'map', en => 'utf8_string',
    city => 'map', location => 'map', latitude => 'double', longitude => 'double',
    autonomous_system_number => 'uint32', autonomous_system_organization => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version => 6, record_size => 28, database_type => 'identrail-test', languages => ['en'],
    remove_reserved_networks => 0,  # the tests use documentation ranges
    description => { en => 'identrail test fixture' }, map_key_type_callback => sub { $types{ $_[0] } },
);
$tree->insert_network('185.220.101.0/24', {
    country => { iso_code => 'DE', names => { en => 'Germany' } }, city => { names => { en => 'Berlin' } },
    location => { latitude => 52.52, longitude => 13.405 },
    autonomous_system_number => 60729, autonomous_system_organization => 'Example Exit Relays' });
$tree->insert_network('54.210.0.0/16', {
    country => { iso_code => 'US', names => { en => 'United States' } }, city => { names => { en => 'Ashburn' } },
    location => { latitude => 39.0438, longitude => -77.4874 },
    autonomous_system_number => 14618, autonomous_system_organization => 'AMAZON-AES' });
$tree->insert_network('2001:db8::/32', {
    country => { iso_code => 'NL', names => { en => 'Netherlands' } } });
open my $fh, '>:raw', $ARGV[0] or die "cannot write $ARGV[0]: $!";
$tree->write_tree($fh);
close $fh;
